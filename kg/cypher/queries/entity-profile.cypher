// An entity's profile: type, aliases, the articles that mention it, and its relations out and in per type.
//
// param name: the entity's name or one of its aliases, any case
// example: kg query entity-profile --param name="Margaret Ellison"
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($name)
   OR any(alias IN e.aliases WHERE toLower(alias) = toLower($name))
RETURN e.name AS name, e.type AS type, e.aliases AS aliases,
       COLLECT { MATCH (a:Article)-[:MENTIONS]->(e) RETURN a.title ORDER BY a.title } AS articles,
       COUNT { (e)-[:ENDORSES]->() } AS endorses,
       COUNT { ()-[:ENDORSES]->(e) } AS endorsed_by,
       COUNT { (e)-[:DONATED_TO]->() } AS donated_to,
       COUNT { ()-[:DONATED_TO]->(e) } AS donations_from,
       COUNT { (e)-[:CRITICIZED]->() } AS criticized,
       COUNT { ()-[:CRITICIZED]->(e) } AS criticized_by
ORDER BY name, e.id
