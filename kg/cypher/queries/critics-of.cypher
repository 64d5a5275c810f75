// Who criticized an entity, with the number of pieces of evidence per critic.
//
// param name: the entity's name or one of its aliases, any case
// example: kg query critics-of --param name="Thomas Brandt"
MATCH (critic:Entity)-[r:CRITICIZED]->(e:Entity)
WHERE toLower(e.name) = toLower($name)
   OR any(alias IN e.aliases WHERE toLower(alias) = toLower($name))
RETURN critic.name AS critic, critic.type AS critic_type, e.name AS target, count(r) AS evidence
ORDER BY evidence DESC, critic, critic_type, target
