; model sobel: 9 -> 1, static schedule
; hardware axnpu-default: 4 tiles x 8 PEs, weight buffer 512 words/PE
; datapath: weights fixed16.8, activations fixed16.8, accumulator fixed32.16, exact sigmoid/tanh (axc asm assembles fp32 programs only)
; q0 samples on fixed16.8
; q1 p1: weights fixed16.8, accumulator fixed32.16, output fixed16.8
; q2 pout: weights fixed16.8, accumulator fixed32.16, output fixed16.8
; q3 h1: weights fixed16.8, accumulator fixed32.16, output fixed16.8
; q4 out: weights fixed16.8, accumulator fixed32.16, output fixed16.8
.model sobel
.schedule static
.benchmark sobel
.cpu 210
.quality rmse 0.02
.region x input m0 9
.region p1 hidden m9 8
.region c1 control m17 8
.region logits decision m25 2
.region h1 hidden m27 8
.region y output m35 1
.region p1 weights d0 80
.region c1 weights d80 72
.region pout.decision weights d152 18
.region h1 weights d170 80
.region out weights d250 9
.stage setup
    ldw  t0, p0, 8, @0, d0, 10                           ; examples/sobel.axn:18:5
    ldw  t1, p0, 8, @0, d80, 9                           ; examples/sobel.axn:20:7
    ldw  t2, p0, 2, @0, d152, 9                          ; examples/sobel.axn:21:7
    ldw  t0, p0, 8, @10, d170, 10                        ; examples/sobel.axn:13:5
    ldw  t1, p0, 1, @9, d250, 9                          ; examples/sobel.axn:14:5
.stage predict
sample:
    recv m0, 9                                           ; examples/sobel.axn:6:1
    ldi  t0, @0, m0, 9                                   ; examples/sobel.axn:18:5
    neu  t0, p0, 8, @0, 9, @0, relu, 0, @0, @0, q1       ; examples/sobel.axn:18:5
    sto  t0, @0, m9, 8                                   ; examples/sobel.axn:18:5
    ldi  t1, @0, m9, 8                                   ; examples/sobel.axn:20:7
    neu  t1, p0, 8, @0, 8, @0, linear, 0, @0, @0, q2     ; examples/sobel.axn:20:7
    ldi  t2, @0, m9, 8                                   ; examples/sobel.axn:21:7
    neu  t2, p0, 2, @0, 8, @0, linear, 0, @0, @0, q2     ; examples/sobel.axn:21:7
.stage store-predictions
    sto  t1, @0, m17, 8                                  ; examples/sobel.axn:20:7
    sto  t2, @0, m25, 2                                  ; examples/sobel.axn:21:7
.stage decide
    decm m25, 1, 0.5, cpu_fallback, s0, q2               ; examples/sobel.axn:21:7
.stage approximate
    ldi  t0, @0, m0, 9                                   ; examples/sobel.axn:13:5
    ldi  t0, @9, m17, 8                                  ; examples/sobel.axn:13:5
    neu  t0, p0, 8, @0, 9, @10, relu, 1, @9, @0, q3      ; examples/sobel.axn:13:5
    sto  t0, @0, m27, 8                                  ; examples/sobel.axn:13:5
    ldi  t1, @0, m27, 8                                  ; examples/sobel.axn:14:5
    neu  t1, p0, 1, @0, 8, @9, linear, 0, @0, @0, q4     ; examples/sobel.axn:14:5
.stage output
    sto  t1, @0, m35, 1                                  ; examples/sobel.axn:14:5
    send m35, 1                                          ; examples/sobel.axn:14:5
    jmp  sample
.stage decide
cpu_fallback:
    cpu                                                  ; examples/sobel.axn:21:7
    jmp  sample
