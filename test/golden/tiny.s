; model tiny: 2 -> 1, static schedule
; hardware axnpu-default: 4 tiles x 8 PEs, weight buffer 512 words/PE
.model tiny
.schedule static
.quality abs 0.1
.region x input m0 2
.region c control m2 2
.region P(x) decision m4 1
.region h hidden m5 2
.region y output m7 1
.region c weights d0 6
.region pout.decision weights d6 3
.region h weights d9 6
.region y weights d15 3
.stage setup
    ldw  t0, p0, 2, @0, d0, 3                            ; examples/tiny.axn:14:7
    ldw  t0, p2, 1, @0, d6, 3                            ; examples/tiny.axn:15:7
    ldw  t0, p0, 2, @3, d9, 3                            ; examples/tiny.axn:8:5
    ldw  t0, p2, 1, @3, d15, 3                           ; examples/tiny.axn:9:5
.stage predict
sample:
    recv m0, 2                                           ; examples/tiny.axn:2:1
    ldi  t0, @0, m0, 2                                   ; examples/tiny.axn:14:7
    neu  t0, p0, 2, @0, 2, @0, linear, 0, @0, @0         ; examples/tiny.axn:14:7
    neu  t0, p2, 1, @0, 2, @0, sigmoid, 0, @0, @2        ; examples/tiny.axn:15:7
.stage store-predictions
    sto  t0, @0, m2, 2                                   ; examples/tiny.axn:14:7
    sto  t0, @2, m4, 1                                   ; examples/tiny.axn:15:7
.stage decide
    decs m4, 0.5, cpu_fallback                           ; examples/tiny.axn:15:7
.stage approximate
    ldi  t0, @0, m0, 2                                   ; examples/tiny.axn:8:5
    ldi  t0, @2, m2, 2                                   ; examples/tiny.axn:8:5
    neu  t0, p0, 2, @0, 2, @3, relu, 1, @2, @0           ; examples/tiny.axn:8:5
    sto  t0, @0, m5, 2                                   ; examples/tiny.axn:8:5
    ldi  t0, @0, m5, 2                                   ; examples/tiny.axn:9:5
    neu  t0, p2, 1, @0, 2, @3, linear, 0, @0, @2         ; examples/tiny.axn:9:5
.stage output
    sto  t0, @2, m7, 1                                   ; examples/tiny.axn:9:5
    send m7, 1                                           ; examples/tiny.axn:9:5
    jmp  sample
.stage decide
cpu_fallback:
    cpu                                                  ; examples/tiny.axn:15:7
    jmp  sample
