// The older syntax: a quoted instance name, limits on operator types and no resource block.
ssp.instance "shared_adders" of "SharedOperatorsProblem" {
  library {
    operator_type @slow [latency<3>, limit<1>]
    operator_type @fast [latency<1>, limit<2>]
    operator_type @sink [latency<0>]
  }
  graph {
    %0 = operation<@slow>() [t<0>]
    %1 = operation<@slow>() [t<3>]
    %2 = operation<@fast>() [t<0>]
    operation<@sink>(%0, %1, %2) [t<6>]
  }
}
