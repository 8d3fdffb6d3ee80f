// Cyclic instances: operands defined further down the graph (a graph region), self loops,
// distances on def-use and auxiliary dependences, and a ChainingCyclicProblem.
ssp.instance @loop of "CyclicProblem" [II<4>] {
  library {
    operator_type @one [latency<1>]
    operator_type @four [latency<4>]
  }
  resource {
  }
  graph {
    %in = operation<@one>() [t<0>]
    %body = operation<@four> @body(%in, %next [dist<1>]) [t<1>]
    %next = operation<@one> @next(%body) [t<5>]
    operation<@one> @self(@self [dist<1>], @body [dist<2>]) [t<6>]
  }
}

// -----

ssp.instance @chained_loop of "ChainingCyclicProblem" [II<1>] {
  library {
    operator_type @fast [latency<0>, incDelay<1.5>, outDelay<1.5>]
  }
  resource {
  }
  graph {
    %0 = operation<@fast> @acc(@acc [dist<1>]) [t<0>, z<0.000000e+00 : f32>]
    operation<@fast>(%0) [t<0>, z<1.500000e+00 : f32>]
  }
}
