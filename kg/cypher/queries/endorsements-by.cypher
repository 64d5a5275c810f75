// Whom an entity endorses, with the number of pieces of evidence per endorsed entity.
//
// param name: the entity's name or one of its aliases, any case
// param min_confidence (default 0): lowest extraction confidence kept, 0 to 1
// example: kg query endorsements-by --param name="Margaret Ellison"
MATCH (e:Entity)-[r:ENDORSES]->(endorsed:Entity)
WHERE (toLower(e.name) = toLower($name)
       OR any(alias IN e.aliases WHERE toLower(alias) = toLower($name)))
  AND coalesce(r.confidence, 1.0) >= $min_confidence
RETURN e.name AS endorser, endorsed.name AS endorsed, endorsed.type AS endorsed_type,
       count(r) AS evidence
ORDER BY evidence DESC, endorsed, endorsed_type, endorser
