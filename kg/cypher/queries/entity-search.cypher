// Entities whose name or an alias contains some text, by id: those called exactly that first, then those whose name starts with it, the most related first; the explorer's search box.
//
// param text: text to look for in names and aliases, any case
// param top (default 20): how many entities to return
// example: kg query entity-search --param text=hal
MATCH (e:Entity)
WHERE toLower(e.name) CONTAINS toLower($text)
   OR any(alias IN e.aliases WHERE toLower(alias) CONTAINS toLower($text))
WITH e, CASE WHEN toLower(e.name) = toLower($text)
                 OR any(alias IN e.aliases WHERE toLower(alias) = toLower($text)) THEN 0
            WHEN toLower(e.name) STARTS WITH toLower($text) THEN 1
            ELSE 2 END AS rank,
     COUNT { (e)-[:ENDORSES|DONATED_TO|CRITICIZED]-(:Entity) } AS relations
RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases, relations
ORDER BY rank, relations DESC, name, id
LIMIT $top
