"""The lint engine: findings, profiles, config, the rule catalog and the checkers it uses."""
