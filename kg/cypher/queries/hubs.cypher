// The entities with the most pieces of evidence in and out (all relation types), by id: where the explorer's network starts.
//
// param top (default 40): how many entities to return
// example: kg query hubs --param top=10
MATCH (e:Entity)-[r:ENDORSES|DONATED_TO|CRITICIZED]-(:Entity)
WITH e, count(r) AS evidence
ORDER BY evidence DESC, e.name, e.id
LIMIT $top
RETURN e.id AS id, e.name AS name, e.type AS type, evidence
