// One entity by its id: name, type, aliases, and the articles that mention it with their date, source and link.
//
// param id: the entity's id (as kg query entity-search returns it)
// example: kg query entity-card --param id="person:victor halloran"
MATCH (e:Entity {id: $id})
RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases,
       COLLECT { MATCH (a:Article)-[:MENTIONS]->(e)
                 RETURN {id: a.id, title: a.title, published: a.published, source: a.source, url: a.url} AS article
                 ORDER BY a.published, a.title, a.id } AS articles
