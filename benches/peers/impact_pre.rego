# Copied unchanged from shared/bench/impact_pre.rego (issue 6's scenario, for regorus).
# Variant (b): impact precomputed by the host and passed as input.impacted.
package change

import rego.v1

impacted := {n | some n in input.impacted}
