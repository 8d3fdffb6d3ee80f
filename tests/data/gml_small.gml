# A hand-made GML graph: ids out of order and not contiguous, a node without a parameter,
# nested lists that are ignored, real parameters.
Creator "hand"
graph [
  directed 1
  node [ id 7 label "seven" parameter 3 ]
  node [
    id 2
    label "two"
    graphics [ x 1.0 y 2.0 fill "#ff0000" ]
  ]
  node [ id -4 parameter 0.5 ]
  edge [ source 2 target 7 name "e0" parameter 10 ]
  edge [ source -4 target 7 ]
  edge [ target 2 source -4 parameter 2.5e1 ]
]
