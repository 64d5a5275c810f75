// An entity's relations over time: per article date, each relation in or out with the other entity.
//
// param name: the entity's name or one of its aliases, any case
// example: kg query relations-over-time --param name="Margaret Ellison"
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($name)
   OR any(alias IN e.aliases WHERE toLower(alias) = toLower($name))
MATCH (e)-[r:ENDORSES|DONATED_TO|CRITICIZED]-(other:Entity)
MATCH (a:Article {id: r.article_id})
WITH a, r, other, CASE WHEN startNode(r) = e THEN 'out' ELSE 'in' END AS direction
ORDER BY a.title
RETURN a.published AS published, type(r) AS relation, direction, other.name AS other,
       count(r) AS evidence, collect(DISTINCT a.title) AS articles
ORDER BY published, relation, direction, other, evidence, articles
