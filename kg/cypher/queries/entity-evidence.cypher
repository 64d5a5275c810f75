// Every piece of evidence for an entity's relations, in and out, with the sentence and its article's title, date, source and link.
//
// param id: the entity's id (as kg query entity-search returns it)
// param min_confidence (default 0): lowest extraction confidence kept, 0 to 1
// example: kg query entity-evidence --param id="person:victor halloran"
MATCH (e:Entity {id: $id})-[r:ENDORSES|DONATED_TO|CRITICIZED]-(other:Entity)
WHERE coalesce(r.confidence, 1.0) >= $min_confidence
MATCH (a:Article {id: r.article_id})
RETURN CASE WHEN startNode(r) = e THEN 'out' ELSE 'in' END AS direction, type(r) AS relation,
       other.id AS other_id, other.name AS other, other.type AS other_type,
       r.sentence AS sentence, r.amount AS amount, r.amount_value AS amount_value, r.currency AS currency,
       r.confidence AS confidence, a.id AS article_id, a.title AS article, a.published AS published,
       a.source AS source, a.url AS url
ORDER BY published, article, r.start, relation, direction, other_id
