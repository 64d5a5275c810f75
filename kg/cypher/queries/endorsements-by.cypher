// Whom an entity endorses, with the number of pieces of evidence per endorsed entity.
//
// param name: the entity's name or one of its aliases, any case
// example: kg query endorsements-by --param name="Margaret Ellison"
MATCH (e:Entity)-[r:ENDORSES]->(endorsed:Entity)
WHERE toLower(e.name) = toLower($name)
   OR any(alias IN e.aliases WHERE toLower(alias) = toLower($name))
RETURN e.name AS endorser, endorsed.name AS endorsed, endorsed.type AS endorsed_type,
       count(r) AS evidence
ORDER BY evidence DESC, endorsed, endorsed_type, endorser
