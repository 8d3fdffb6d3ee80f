// A small modulo-scheduling instance written loosely (value names, spacing, comments, the older
// `uses<...>` spelling); tests/cpu/io/test_ssp_write.cpp compares write_ssp's text for it with
// the text CIRCT prints.
ssp.instance @acc of "ModuloProblem" [II<2>] {
  library {
    operator_type @mem [latency<1>]
    operator_type @mac [latency<3>]
  }
  resource { resource_type @port [limit<1>] }
  graph {
    %x = operation<@mem> uses<@port> @rd(@wr [dist<1>]) [t<0>]
    %acc:2 = operation<@mac>(%x, %acc#1 [dist<1>]) [t<1>]   // the accumulator feeds itself
    operation<@mem>   uses[@port]   @wr(%acc) [t<4>]
  }
}
