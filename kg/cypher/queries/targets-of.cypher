// Whom an entity criticized, with the number of pieces of evidence per target.
//
// param name: the critic's name or one of its aliases, any case
// param min_confidence (default 0): lowest extraction confidence kept, 0 to 1
// example: kg query targets-of --param name="Margaret Ellison"
MATCH (e:Entity)-[r:CRITICIZED]->(target:Entity)
WHERE (toLower(e.name) = toLower($name)
       OR any(alias IN e.aliases WHERE toLower(alias) = toLower($name)))
  AND coalesce(r.confidence, 1.0) >= $min_confidence
RETURN e.name AS critic, target.name AS target, target.type AS target_type, count(r) AS evidence
ORDER BY evidence DESC, target, target_type, critic
