"""Use cases of the register: each checks permissions, validates, writes its change and the
audit event in one transaction, and raises typed errors from `domain.errors`."""
