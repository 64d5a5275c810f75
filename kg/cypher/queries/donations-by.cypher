// Donations by an entity: per recipient, the number of donations and their total amount.
//
// param name: the donor's name or one of its aliases, any case
// example: kg query donations-by --param name="Victor Halloran"
MATCH (e:Entity)-[r:DONATED_TO]->(recipient:Entity)
WHERE toLower(e.name) = toLower($name)
   OR any(alias IN e.aliases WHERE toLower(alias) = toLower($name))
WITH e, recipient, r ORDER BY r.amount
RETURN e.name AS donor, recipient.name AS recipient, count(r) AS donations,
       sum(r.amount_value) AS total, count(r.amount_value) AS with_amount,
       collect(DISTINCT r.currency) AS currencies, collect(r.amount) AS amounts
ORDER BY total DESC, recipient, donor, donations, with_amount, currencies, amounts
