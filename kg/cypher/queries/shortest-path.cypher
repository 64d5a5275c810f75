// The shortest chains of relations (any direction) between two entities, up to 6 steps, as text and as paths.
//
// param source: the name or alias of one entity, any case
// param target: the name or alias of the other entity, any case
// example: kg query shortest-path --param source="Priya Raman" --param target="Thomas Brandt"
MATCH (a:Entity), (b:Entity)
WHERE (toLower(a.name) = toLower($source)
       OR any(alias IN a.aliases WHERE toLower(alias) = toLower($source)))
  AND (toLower(b.name) = toLower($target)
       OR any(alias IN b.aliases WHERE toLower(alias) = toLower($target)))
  AND a <> b
MATCH p = allShortestPaths((a)-[:ENDORSES|DONATED_TO|CRITICIZED*..6]-(b))
RETURN length(p) AS hops,
       [r IN relationships(p) | startNode(r).name + ' ' + type(r) + ' ' + endNode(r).name] AS steps, p
ORDER BY hops, steps, [r IN relationships(p) | r.article_id], [r IN relationships(p) | r.start]
