// Donations to an entity: per donor, the number of donations and their total amount.
//
// param name: the recipient's name or one of its aliases, any case
// param min_confidence (default 0): lowest extraction confidence kept, 0 to 1
// example: kg query donations-to --param name="Raymond Castellano"
MATCH (donor:Entity)-[r:DONATED_TO]->(e:Entity)
WHERE (toLower(e.name) = toLower($name)
       OR any(alias IN e.aliases WHERE toLower(alias) = toLower($name)))
  AND coalesce(r.confidence, 1.0) >= $min_confidence
WITH donor, e, r ORDER BY r.amount
RETURN donor.name AS donor, e.name AS recipient, count(r) AS donations,
       sum(r.amount_value) AS total, count(r.amount_value) AS with_amount,
       collect(DISTINCT r.currency) AS currencies, collect(r.amount) AS amounts
ORDER BY total DESC, donor, recipient, donations, with_amount, currencies, amounts
