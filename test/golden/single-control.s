; model single_control: 6 -> 1, static schedule
; hardware axnpu-default: 4 tiles x 8 PEs, weight buffer 512 words/PE
.model single_control
.schedule static
.benchmark blackscholes
.cpu 728
.quality rel 0.25
.region x input m0 6
.region p1 hidden m6 8
.region c2 control m14 12
.region P(x) decision m26 1
.region h1 hidden m27 16
.region h2 hidden m43 12
.region y output m55 1
.region p1 weights d0 56
.region c2 weights d56 108
.region pout.decision weights d164 9
.region h1 weights d173 112
.region h2 weights d285 204
.region out weights d489 13
.stage setup
    ldw  t0, p0, 8, @0, d0, 7                            ; examples/single-control.axn:20:5
    ldw  t1, p0, 8, @0, d56, 9                           ; examples/single-control.axn:22:7
    ldw  t2, p0, 4, @0, d128, 9                          ; examples/single-control.axn:22:7
    ldw  t3, p0, 1, @0, d164, 9                          ; examples/single-control.axn:23:7
    ldw  t0, p0, 8, @7, d173, 7                          ; examples/single-control.axn:14:5
    ldw  t1, p0, 8, @9, d229, 7                          ; examples/single-control.axn:14:5
    ldw  t0, p0, 8, @14, d285, 17                        ; examples/single-control.axn:15:5
    ldw  t1, p0, 4, @16, d421, 17                        ; examples/single-control.axn:15:5
    ldw  t0, p0, 1, @31, d489, 13                        ; examples/single-control.axn:16:5
.stage predict
sample:
    recv m0, 6                                           ; examples/single-control.axn:7:1
    ldi  t0, @0, m0, 6                                   ; examples/single-control.axn:20:5
    neu  t0, p0, 8, @0, 6, @0, relu, 0, @0, @0           ; examples/single-control.axn:20:5
    sto  t0, @0, m6, 8                                   ; examples/single-control.axn:20:5
    ldi  t1, @0, m6, 8                                   ; examples/single-control.axn:22:7
    neu  t1, p0, 8, @0, 8, @0, linear, 0, @0, @0         ; examples/single-control.axn:22:7
    ldi  t2, @0, m6, 8                                   ; examples/single-control.axn:22:7
    neu  t2, p0, 4, @0, 8, @0, linear, 0, @0, @0         ; examples/single-control.axn:22:7
    ldi  t3, @0, m6, 8                                   ; examples/single-control.axn:23:7
    neu  t3, p0, 1, @0, 8, @0, sigmoid, 0, @0, @0        ; examples/single-control.axn:23:7
.stage store-predictions
    sto  t1, @0, m14, 8                                  ; examples/single-control.axn:22:7
    sto  t2, @0, m22, 4                                  ; examples/single-control.axn:22:7
    sto  t3, @0, m26, 1                                  ; examples/single-control.axn:23:7
.stage decide
    decs m26, 0.5, cpu_fallback                          ; examples/single-control.axn:23:7
.stage approximate
    ldi  t0, @0, m0, 6                                   ; examples/single-control.axn:14:5
    neu  t0, p0, 8, @0, 6, @7, relu, 0, @0, @0           ; examples/single-control.axn:14:5
    ldi  t1, @0, m0, 6                                   ; examples/single-control.axn:14:5
    neu  t1, p0, 8, @0, 6, @9, relu, 0, @0, @0           ; examples/single-control.axn:14:5
    sto  t0, @0, m27, 8                                  ; examples/single-control.axn:14:5
    sto  t1, @0, m35, 8                                  ; examples/single-control.axn:14:5
    ldi  t0, @0, m27, 16                                 ; examples/single-control.axn:15:5
    ldi  t0, @16, m14, 8                                 ; examples/single-control.axn:15:5
    neu  t0, p0, 8, @0, 16, @14, relu, 1, @16, @0        ; examples/single-control.axn:15:5
    ldi  t1, @0, m27, 16                                 ; examples/single-control.axn:15:5
    ldi  t1, @16, m22, 4                                 ; examples/single-control.axn:15:5
    neu  t1, p0, 4, @0, 16, @16, relu, 1, @16, @0        ; examples/single-control.axn:15:5
    sto  t0, @0, m43, 8                                  ; examples/single-control.axn:15:5
    sto  t1, @0, m51, 4                                  ; examples/single-control.axn:15:5
    ldi  t0, @0, m43, 12                                 ; examples/single-control.axn:16:5
    neu  t0, p0, 1, @0, 12, @31, linear, 0, @0, @0       ; examples/single-control.axn:16:5
.stage output
    sto  t0, @0, m55, 1                                  ; examples/single-control.axn:16:5
    send m55, 1                                          ; examples/single-control.axn:16:5
    jmp  sample
.stage decide
cpu_fallback:
    cpu                                                  ; examples/single-control.axn:23:7
    jmp  sample
