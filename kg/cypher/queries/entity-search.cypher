// Entities whose name or an alias contains some text, by id, those named with it first: the explorer's search box.
//
// param text: text to look for in names and aliases, any case
// param top (default 20): how many entities to return
// example: kg query entity-search --param text=hal
MATCH (e:Entity)
WHERE toLower(e.name) CONTAINS toLower($text)
   OR any(alias IN e.aliases WHERE toLower(alias) CONTAINS toLower($text))
WITH e, CASE WHEN toLower(e.name) STARTS WITH toLower($text) THEN 0 ELSE 1 END AS rank,
     COUNT { (e)-[:ENDORSES|DONATED_TO|CRITICIZED]-(:Entity) } AS relations
RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases, relations
ORDER BY rank, relations DESC, name, id
LIMIT $top
