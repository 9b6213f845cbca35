-- CoverageByCity: the coverage_by_city view (Go puts the rows and the missing colleges in roster order).
SELECT city, city_returned, city_tasks_expected, city_tasks_addressed, city_measures,
       schools_expected, schools_returned, school_pairs_expected, school_pairs_addressed, school_measures,
       array_to_string(missing_schools, '|')
FROM coverage_by_city
