"""unify stage."""
