; model inversek2j: 2 -> 2, static schedule
; hardware axnpu-default: 4 tiles x 8 PEs, weight buffer 512 words/PE
.model inversek2j
.schedule static
.benchmark inversek2j
.cpu 620
.quality rel 0.1
.region x input m0 2
.region p1 hidden m2 8
.region c1 control m10 8
.region P(x) decision m18 1
.region h1 hidden m19 8
.region y output m27 2
.region p1 weights d0 24
.region c1 weights d24 72
.region pout.decision weights d96 9
.region h1 weights d105 24
.region out weights d129 18
.stage setup
    ldw  t0, p0, 8, @0, d0, 3                            ; examples/inversek2j.axn:17:5
    ldw  t1, p0, 8, @0, d24, 9                           ; examples/inversek2j.axn:19:7
    ldw  t2, p0, 1, @0, d96, 9                           ; examples/inversek2j.axn:20:7
    ldw  t0, p0, 8, @3, d105, 3                          ; examples/inversek2j.axn:12:5
    ldw  t1, p0, 2, @9, d129, 9                          ; examples/inversek2j.axn:13:5
.stage predict
sample:
    recv m0, 2                                           ; examples/inversek2j.axn:5:1
    ldi  t0, @0, m0, 2                                   ; examples/inversek2j.axn:17:5
    neu  t0, p0, 8, @0, 2, @0, relu, 0, @0, @0           ; examples/inversek2j.axn:17:5
    sto  t0, @0, m2, 8                                   ; examples/inversek2j.axn:17:5
    ldi  t1, @0, m2, 8                                   ; examples/inversek2j.axn:19:7
    neu  t1, p0, 8, @0, 8, @0, sigmoid, 0, @0, @0        ; examples/inversek2j.axn:19:7
    ldi  t2, @0, m2, 8                                   ; examples/inversek2j.axn:20:7
    neu  t2, p0, 1, @0, 8, @0, sigmoid, 0, @0, @0        ; examples/inversek2j.axn:20:7
.stage store-predictions
    sto  t1, @0, m10, 8                                  ; examples/inversek2j.axn:19:7
    sto  t2, @0, m18, 1                                  ; examples/inversek2j.axn:20:7
.stage decide
    decs m18, 0.5, cpu_fallback                          ; examples/inversek2j.axn:20:7
.stage approximate
    ldi  t0, @0, m0, 2                                   ; examples/inversek2j.axn:12:5
    ldi  t0, @2, m10, 8                                  ; examples/inversek2j.axn:12:5
    neu  t0, p0, 8, @0, 2, @3, tanh, 1, @2, @0           ; examples/inversek2j.axn:12:5
    sto  t0, @0, m19, 8                                  ; examples/inversek2j.axn:12:5
    ldi  t1, @0, m19, 8                                  ; examples/inversek2j.axn:13:5
    neu  t1, p0, 2, @0, 8, @9, linear, 0, @0, @0         ; examples/inversek2j.axn:13:5
.stage output
    sto  t1, @0, m27, 2                                  ; examples/inversek2j.axn:13:5
    send m27, 2                                          ; examples/inversek2j.axn:13:5
    jmp  sample
.stage decide
cpu_fallback:
    cpu                                                  ; examples/inversek2j.axn:20:7
    jmp  sample
