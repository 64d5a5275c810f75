// The relations around an entity as a graph (nodes and relationships), for Neo4j Browser and kg viz.
//
// param name: the entity's name or one of its aliases, any case
// example: kg query entity-network --param name="Victor Halloran"
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($name)
   OR any(alias IN e.aliases WHERE toLower(alias) = toLower($name))
MATCH p = (e)-[r:ENDORSES|DONATED_TO|CRITICIZED]-(other:Entity)
RETURN p
ORDER BY e.id, type(r), other.id, r.article_id, r.start
