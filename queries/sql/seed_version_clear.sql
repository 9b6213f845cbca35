-- LoadSeeds: drops the previous fingerprint; a hand-built seed set writes none back, so it never matches.
DELETE FROM seed_version
