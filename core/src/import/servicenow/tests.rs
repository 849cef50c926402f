//! Unit tests of the ServiceNow adapters.
