-- The canonical department for a name, an alias or a known short form (unit_aliases).
SELECT department FROM unit_aliases WHERE alias = $1
