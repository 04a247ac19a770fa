"""Great Expectations gates in front of the RNVP and GDPR outputs (suites built in code)."""
