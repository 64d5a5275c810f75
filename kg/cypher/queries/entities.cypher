// Entities whose name or an alias contains some text, with their type and the number of articles mentioning them.
//
// param text (default ""): text to look for in names and aliases, any case; empty lists every entity
// example: kg query entities --param text=ferr
MATCH (e:Entity)
WHERE toLower(e.name) CONTAINS toLower($text)
   OR any(alias IN e.aliases WHERE toLower(alias) CONTAINS toLower($text))
RETURN e.name AS name, e.type AS type, e.aliases AS aliases,
       COUNT { (:Article)-[:MENTIONS]->(e) } AS articles
ORDER BY articles DESC, name, e.id
