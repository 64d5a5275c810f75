// The evidence for one relation type from one entity to another (by id): each sentence with its article's title, date, source and link.
//
// param subject: the id of the entity the relation starts from
// param object: the id of the entity it points to
// param relation: ENDORSES, DONATED_TO or CRITICIZED
// param date_from (default ""): earliest article date kept (YYYY-MM-DD); empty keeps every date
// param date_to (default ""): latest article date kept (YYYY-MM-DD); empty keeps every date
// param sources (default []): article sources to keep; empty keeps every source
// param min_confidence (default 0): lowest extraction confidence kept, 0 to 1
// example: kg query pair-evidence --param subject="person:victor halloran" --param object="person:daniel okafor" --param relation=DONATED_TO
MATCH (s:Entity {id: $subject})-[r:ENDORSES|DONATED_TO|CRITICIZED]->(o:Entity {id: $object})
WHERE type(r) = $relation AND coalesce(r.confidence, 1.0) >= $min_confidence
MATCH (a:Article {id: r.article_id})
WHERE ($date_from = '' OR substring(a.published, 0, 10) >= $date_from)
  AND ($date_to = '' OR substring(a.published, 0, 10) <= $date_to)
  AND (size($sources) = 0 OR a.source IN $sources)
RETURN s.name AS subject, type(r) AS relation, o.name AS object, r.sentence AS sentence, r.amount AS amount,
       r.confidence AS confidence, a.title AS article, a.published AS published, a.source AS source, a.url AS url
ORDER BY published, article, r.start
