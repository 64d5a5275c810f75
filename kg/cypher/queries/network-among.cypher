// Relations among some entities (both ends in the list, by id), one row per pair and type with the evidence count, filtered by relation type, article date, source and confidence.
//
// param ids: list of entity ids among which to return relations
// param types (default ["ENDORSES", "DONATED_TO", "CRITICIZED"]): relation types to keep
// param date_from (default ""): earliest article date kept (YYYY-MM-DD); empty keeps every date, undated articles too
// param date_to (default ""): latest article date kept (YYYY-MM-DD); empty keeps every date, undated articles too
// param sources (default []): article sources to keep; empty keeps every source
// param min_confidence (default 0): lowest extraction confidence kept, 0 to 1
// example: kg query network-among --param ids='["person:victor halloran", "person:daniel okafor"]'
UNWIND $ids AS id
MATCH (s:Entity {id: id})-[r:ENDORSES|DONATED_TO|CRITICIZED]->(o:Entity)
WHERE o.id IN $ids
  AND type(r) IN $types
  AND coalesce(r.confidence, 1.0) >= $min_confidence
MATCH (a:Article {id: r.article_id})
WHERE ($date_from = '' OR substring(a.published, 0, 10) >= $date_from)
  AND ($date_to = '' OR substring(a.published, 0, 10) <= $date_to)
  AND (size($sources) = 0 OR a.source IN $sources)
RETURN s.id AS source_id, s.name AS source_name, s.type AS source_type, type(r) AS relation,
       o.id AS target_id, o.name AS target_name, o.type AS target_type, count(r) AS evidence
ORDER BY source_id, target_id, relation
