// Who endorses an entity, with the number of pieces of evidence per endorser.
//
// param name: the entity's name or one of its aliases, any case
// param min_confidence (default 0): lowest extraction confidence kept, 0 to 1
// example: kg query endorsements-of --param name="Raymond Castellano"
MATCH (endorser:Entity)-[r:ENDORSES]->(e:Entity)
WHERE (toLower(e.name) = toLower($name)
       OR any(alias IN e.aliases WHERE toLower(alias) = toLower($name)))
  AND coalesce(r.confidence, 1.0) >= $min_confidence
RETURN endorser.name AS endorser, endorser.type AS endorser_type, e.name AS endorsed,
       count(r) AS evidence
ORDER BY evidence DESC, endorser, endorser_type, endorsed
