// The most connected entities per relation type: evidence in and out, top entities per type.
//
// param top (default 5): how many entities to list per relation type
// example: kg query most-connected --param top=3
MATCH (e:Entity)-[r:ENDORSES|DONATED_TO|CRITICIZED]-(:Entity)
WITH type(r) AS relation, e, count(r) AS degree
ORDER BY relation, degree DESC, e.name, e.id
WITH relation, collect({entity: e.name, degree: degree}) AS ranked
UNWIND ranked[0..$top] AS top
RETURN relation, top.entity AS entity, top.degree AS degree
ORDER BY relation, degree DESC, entity
