"""Pure helpers shared by every app: text normalisation and scripts, slugs, numerals, plan
periods, fingerprints. No models and no imports from other apps: everything else builds on it."""
