"""The maintainer's loop: what to review and lint, what a resolve changed, and the override
edits of `pin`, `reject` and `skip`. Pure but for `edit.write_override`, which writes one file."""
