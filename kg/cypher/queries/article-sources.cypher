// The sources of the articles, with how many articles each has and their first and last dates.
//
// example: kg query article-sources
MATCH (a:Article)
RETURN coalesce(a.source, '') AS source, count(a) AS articles,
       min(substring(a.published, 0, 10)) AS first, max(substring(a.published, 0, 10)) AS last
ORDER BY articles DESC, source
