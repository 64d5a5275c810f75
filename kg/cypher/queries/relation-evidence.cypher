// The evidence for relations from one entity to another: each sentence with its article's title, url and date.
//
// param subject: the name or alias of the entity the relation starts from, any case
// param object: the name or alias of the entity it points to, any case
// param min_confidence (default 0): lowest extraction confidence kept, 0 to 1
// example: kg query relation-evidence --param subject="Victor Halloran" --param object="Daniel Okafor"
MATCH (s:Entity)-[r:ENDORSES|DONATED_TO|CRITICIZED]->(o:Entity)
WHERE (toLower(s.name) = toLower($subject)
       OR any(alias IN s.aliases WHERE toLower(alias) = toLower($subject)))
  AND (toLower(o.name) = toLower($object)
       OR any(alias IN o.aliases WHERE toLower(alias) = toLower($object)))
  AND coalesce(r.confidence, 1.0) >= $min_confidence
MATCH (a:Article {id: r.article_id})
RETURN s.name AS subject, type(r) AS relation, o.name AS object, r.amount AS amount,
       r.sentence AS sentence, a.title AS article, a.url AS url, a.published AS published
ORDER BY published, article, r.start, relation, subject, object, sentence, url, amount
