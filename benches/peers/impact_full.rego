# The benchmark scenario's policy for regorus (benches/README.md), unchanged.
# Variant (a): impact computed in Rego. data.topo.rdeps maps each node to the
# nodes that depend on it, so reachability from the targets is reverse impact.
package change

import rego.v1

impacted := graph.reachable(data.topo.rdeps, input.change.targets)
