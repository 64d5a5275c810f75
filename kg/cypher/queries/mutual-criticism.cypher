// Pairs of entities that criticized each other, with the evidence count each way.
//
// example: kg query mutual-criticism
MATCH (a:Entity)-[ab:CRITICIZED]->(b:Entity)-[ba:CRITICIZED]->(a)
WHERE a.id < b.id
RETURN a.name AS entity_a, b.name AS entity_b,
       count(DISTINCT ab) AS a_criticized_b, count(DISTINCT ba) AS b_criticized_a
ORDER BY entity_a, entity_b, a_criticized_b, b_criticized_a
