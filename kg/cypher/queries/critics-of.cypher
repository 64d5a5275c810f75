// Who criticized an entity, with the number of pieces of evidence per critic.
//
// param name: the entity's name or one of its aliases, any case
// param min_confidence (default 0): lowest extraction confidence kept, 0 to 1
// example: kg query critics-of --param name="Thomas Brandt"
MATCH (critic:Entity)-[r:CRITICIZED]->(e:Entity)
WHERE (toLower(e.name) = toLower($name)
       OR any(alias IN e.aliases WHERE toLower(alias) = toLower($name)))
  AND coalesce(r.confidence, 1.0) >= $min_confidence
RETURN critic.name AS critic, critic.type AS critic_type, e.name AS target, count(r) AS evidence
ORDER BY evidence DESC, critic, critic_type, target
