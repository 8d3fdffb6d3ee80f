// Every construct read_ssp accepts, for tests/cpu/io/test_ssp_read.cpp (which checks the
// parsed values field by field, lines included: keep the line numbers when editing).
ssp.library @Shared {
  operator_type @Mul [latency<4>]
}
ssp.resource @SharedRsrc {
  resource_type @Dsp [limit<2>]
}
module @Outer {
  ssp.library @Lib { operator_type @Div [latency<9>, limit<1>] }
  module @Inner {
    ssp.resource @R {
      resource_type @Port [limit<3>]
    }
  }
}
ssp.library @Late { operator_type @Nop }
ssp.instance @filter of "ModuloProblem" [II<3>] {
  library @Own {
    operator_type @Load [latency<1>]
    operator_type @Add [latency<2>, incDelay<1.000000e-01 : f32>, outDelay<0.25>]
    operator_type @"no props"
  }
  resource {
    resource_type @ReadPort [limit<1>]
    resource_type @WritePort [#ssp.limit<1>]
  }
  graph {
    %a = operation<@Load> uses[@ReadPort] @load_x(@store_y [dist<1>]) [t<2>]
    %1 = operation<@Own::@Load> uses<@ReadPort> @load_y() [t<0>]  // older `uses<...>`
    %sum:2 = operation<@Add> @add(%a, %1 [dist<0>], %late#1) [t<3>, z<0.5 : f64>]
    operation<@Load> @store_y uses[@WritePort, @SharedRsrc::@Dsp](%sum#1) [t<4>]
    %late:2 = operation<@Shared::@Mul>(%sum) [#ssp.t<7>]
    operation<@Outer::@Lib::@Div> uses[@Outer::@Inner::@R::@Port]()
    operation<@filter::@Own::@"no props">(%late, @add, @load_x [dist<2>])
    operation<>()
  }
}
// -----
// A second chunk: symbols do not cross chunks, so @Shared here is a new library (used before
// it is defined).
ssp.instance of "Problem" {library {} graph {}}
ssp.instance @legacy of "SharedOperatorsProblem" {
  library {
    operator_type @Mem [latency<3>, limit<1>]
  }
  graph {
    operation<@Mem>()
    operation<@Shared::@Nop>()
  }
}
ssp.library @Shared {
  operator_type @Nop [latency<0>]
}
// -----
module {
  ssp.instance @wrapped of "CustomProblem" {
    library {
    }
    resource @Units {
    }
    graph {
    }
  }
}
