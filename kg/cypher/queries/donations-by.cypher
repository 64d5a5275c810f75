// Donations by an entity: per recipient, the number of donations and their total amount.
//
// param name: the donor's name or one of its aliases, any case
// param min_confidence (default 0): lowest extraction confidence kept, 0 to 1
// example: kg query donations-by --param name="Victor Halloran"
MATCH (e:Entity)-[r:DONATED_TO]->(recipient:Entity)
WHERE (toLower(e.name) = toLower($name)
       OR any(alias IN e.aliases WHERE toLower(alias) = toLower($name)))
  AND coalesce(r.confidence, 1.0) >= $min_confidence
WITH e, recipient, r ORDER BY r.amount
RETURN e.name AS donor, recipient.name AS recipient, count(r) AS donations,
       sum(r.amount_value) AS total, count(r.amount_value) AS with_amount,
       collect(DISTINCT r.currency) AS currencies, collect(r.amount) AS amounts
ORDER BY total DESC, recipient, donor, donations, with_amount, currencies, amounts
