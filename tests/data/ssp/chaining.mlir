// Operator delays and start times in cycle (ChainingProblem), floats in every spelling.
ssp.instance @chain of "ChainingProblem" {
  library {
    operator_type @add [latency<0>, incDelay<2.34>, outDelay<2.34>]
    operator_type @reg [latency<1>, incDelay<0.0>, outDelay<0.0>]
    operator_type @odd [latency<0>, incDelay<0.123456789 : f32>, outDelay<3.0e+01 : f32>]
  }
  resource {}
  graph {
    %0 = operation<@add>() [t<0>, z<0.0>]
    %1 = operation<@add>(%0) [t<0>, z<2.34>]
    %2 = operation<@odd>(%1) [t<0>, z<4.68>]
    operation<@reg> @out(%2, %1) [t<1>, z<0.000000e+00 : f32>]
  }
}
