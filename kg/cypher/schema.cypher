// Graph model of kg (Neo4j 5.x). Neo4jStore.ensure_schema() runs every
// statement in this file, in order, each in its own transaction; statements
// end with ";" and lines starting with "//" are comments. Every statement
// says IF NOT EXISTS, so running the file again changes nothing.
//
//   (:Article {id, url, title, published, source, author, ingested_at})
//   (:Entity:Person|Organization|Group|Place {id, name, type, aliases, surname})
//   (:Article)-[:MENTIONS {count}]->(:Entity)
//   (:Entity)-[:ENDORSES|DONATED_TO|CRITICIZED {article_id, sentence, start,
//       end, confidence, rule, amount, amount_value, currency}]->(:Entity)
//
// The embedded store (kg/store/embedded.py) keeps the same model in SQLite.

// One node per article: the writes MERGE on Article.id, and the constraint's
// index makes that lookup (and known_articles) fast.
CREATE CONSTRAINT article_id IF NOT EXISTS
FOR (a:Article) REQUIRE a.id IS UNIQUE;

// One node per entity, whatever its type label: the writes MERGE on Entity.id.
CREATE CONSTRAINT entity_id IF NOT EXISTS
FOR (e:Entity) REQUIRE e.id IS UNIQUE;

// Cross-article resolution looks people up by lower-cased surname
// (Neo4jStore.people_by_surname).
CREATE INDEX person_surname IF NOT EXISTS
FOR (p:Person) ON (p.surname);
