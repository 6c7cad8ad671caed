; model jpeg: 64 -> 64, dynamic schedule
; hardware golden-small: 2 tiles x 4 PEs, weight buffer 80 words/PE
.model jpeg
.schedule dynamic
.benchmark jpeg
.cpu 2848
.quality rmse 0.003
.region x input m0 64
.region p1 hidden m64 16
.region c1 control m80 16
.region logits decision m96 2
.region h1 hidden m64 16
.region y output m0 64
.region x.s1 input m98 64
.region p1.s1 hidden m162 16
.region c1.s1 control m178 16
.region logits.s1 decision m194 2
.region h1.s1 hidden m162 16
.region y.s1 output m98 64
.region p1 weights d0 1040
.region c1 weights d1040 272
.region pout.decision weights d1312 34
.region h1 weights d1346 1040
.region out weights d2386 1088
.stage predict
batch:
    recv m0, 64                                          ; examples/jpeg.axn:5:1
    recv m98, 64, s1                                     ; examples/jpeg.axn:5:1
    ldw  t0, p0, 4, @0, d0, 65                           ; examples/jpeg.axn:17:5
    ldw  t1, p0, 4, @0, d260, 65                         ; examples/jpeg.axn:17:5
    skip absent, s0, s0.past.0
    ldi  t0, @0, m0, 64                                  ; examples/jpeg.axn:17:5
    neu  t0, p0, 4, @0, 64, @0, relu, 0, @0, @0          ; examples/jpeg.axn:17:5
    ldi  t1, @0, m0, 64                                  ; examples/jpeg.axn:17:5
    neu  t1, p0, 4, @0, 64, @0, relu, 0, @0, @0          ; examples/jpeg.axn:17:5
s0.past.0:
    skip absent, s1, s1.past.1
    ldi  t0, @64, m98, 64                                ; examples/jpeg.axn:17:5
    neu  t0, p0, 4, @64, 64, @0, relu, 0, @0, @4         ; examples/jpeg.axn:17:5
    ldi  t1, @64, m98, 64                                ; examples/jpeg.axn:17:5
    neu  t1, p0, 4, @64, 64, @0, relu, 0, @0, @4         ; examples/jpeg.axn:17:5
s1.past.1:
    ldw  t0, p0, 4, @0, d520, 65                         ; examples/jpeg.axn:17:5
    ldw  t1, p0, 4, @0, d780, 65                         ; examples/jpeg.axn:17:5
    skip absent, s0, s0.past.2
    sto  t0, @0, m64, 4                                  ; examples/jpeg.axn:17:5
s0.past.2:
    skip absent, s0, s0.past.3
    sto  t1, @0, m68, 4                                  ; examples/jpeg.axn:17:5
s0.past.3:
    skip absent, s0, s0.past.4
    neu  t0, p0, 4, @0, 64, @0, relu, 0, @0, @0          ; examples/jpeg.axn:17:5
    neu  t1, p0, 4, @0, 64, @0, relu, 0, @0, @0          ; examples/jpeg.axn:17:5
s0.past.4:
    skip absent, s1, s1.past.5
    sto  t0, @4, m162, 4                                 ; examples/jpeg.axn:17:5
s1.past.5:
    skip absent, s1, s1.past.6
    sto  t1, @4, m166, 4                                 ; examples/jpeg.axn:17:5
s1.past.6:
    skip absent, s1, s1.past.7
    neu  t0, p0, 4, @64, 64, @0, relu, 0, @0, @4         ; examples/jpeg.axn:17:5
    neu  t1, p0, 4, @64, 64, @0, relu, 0, @0, @4         ; examples/jpeg.axn:17:5
s1.past.7:
    skip absent, s0, s0.past.8
    sto  t0, @0, m72, 4                                  ; examples/jpeg.axn:17:5
    sto  t1, @0, m76, 4                                  ; examples/jpeg.axn:17:5
s0.past.8:
    skip absent, s1, s1.past.9
    sto  t0, @4, m170, 4                                 ; examples/jpeg.axn:17:5
    sto  t1, @4, m174, 4                                 ; examples/jpeg.axn:17:5
s1.past.9:
    ldw  t0, p0, 4, @0, d1040, 17                        ; examples/jpeg.axn:19:7
    ldw  t1, p0, 4, @0, d1108, 17                        ; examples/jpeg.axn:19:7
    skip absent, s0, s0.past.10
    ldi  t0, @0, m64, 16                                 ; examples/jpeg.axn:19:7
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:19:7
    ldi  t1, @0, m64, 16                                 ; examples/jpeg.axn:19:7
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:19:7
s0.past.10:
    skip absent, s1, s1.past.11
    ldi  t0, @16, m162, 16                               ; examples/jpeg.axn:19:7
    neu  t0, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:19:7
    ldi  t1, @16, m162, 16                               ; examples/jpeg.axn:19:7
    neu  t1, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:19:7
s1.past.11:
    ldw  t0, p0, 4, @0, d1176, 17                        ; examples/jpeg.axn:19:7
    ldw  t1, p0, 4, @0, d1244, 17                        ; examples/jpeg.axn:19:7
.stage store-predictions
    skip absent, s0, s0.past.12
    sto  t0, @0, m80, 4                                  ; examples/jpeg.axn:19:7
s0.past.12:
    skip absent, s0, s0.past.13
    sto  t1, @0, m84, 4                                  ; examples/jpeg.axn:19:7
.stage predict
s0.past.13:
    skip absent, s0, s0.past.14
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:19:7
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:19:7
.stage store-predictions
s0.past.14:
    skip absent, s1, s1.past.15
    sto  t0, @4, m178, 4                                 ; examples/jpeg.axn:19:7
s1.past.15:
    skip absent, s1, s1.past.16
    sto  t1, @4, m182, 4                                 ; examples/jpeg.axn:19:7
.stage predict
s1.past.16:
    skip absent, s1, s1.past.17
    neu  t0, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:19:7
    neu  t1, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:19:7
s1.past.17:
    ldw  t0, p0, 2, @0, d1312, 17                        ; examples/jpeg.axn:20:7
.stage store-predictions
    skip absent, s0, s0.past.18
    sto  t0, @0, m88, 4                                  ; examples/jpeg.axn:19:7
.stage predict
s0.past.18:
    skip absent, s0, s0.past.19
    neu  t0, p0, 2, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:20:7
s0.past.19:
    skip absent, s1, s1.past.20
    neu  t0, p0, 2, @16, 16, @0, linear, 0, @0, @2       ; examples/jpeg.axn:20:7
.stage store-predictions
s1.past.20:
    skip absent, s0, s0.past.21
    sto  t1, @0, m92, 4                                  ; examples/jpeg.axn:19:7
s0.past.21:
    skip absent, s1, s1.past.22
    sto  t0, @4, m186, 4                                 ; examples/jpeg.axn:19:7
    sto  t1, @4, m190, 4                                 ; examples/jpeg.axn:19:7
s1.past.22:
    skip absent, s0, s0.past.23
    sto  t0, @0, m96, 2                                  ; examples/jpeg.axn:20:7
s0.past.23:
    skip absent, s1, s1.past.24
    sto  t0, @2, m194, 2                                 ; examples/jpeg.axn:20:7
.stage decide
s1.past.24:
    skip absent, s0, s0.decided.27
    decm m96, 1, 0.5, s0.decided.27                      ; examples/jpeg.axn:20:7
s0.decided.27:
    skip absent, s1, s1.decided.29
    decm m194, 1, 0.5, s1.decided.29, s1                 ; examples/jpeg.axn:20:7
s1.decided.29:
    skip npu, s0, s0.past.30
    cpu                                                  ; examples/jpeg.axn:20:7
s0.past.30:
    skip npu, s1, s1.past.31
    cpu  s1                                              ; examples/jpeg.axn:20:7
s1.past.31:
    skip none, s0, s1.past.87                            ; examples/jpeg.axn:20:7
.stage approximate
    ldw  t0, p0, 4, @0, d1346, 65                        ; examples/jpeg.axn:12:5
    ldw  t1, p0, 4, @0, d1606, 65                        ; examples/jpeg.axn:12:5
    skip cpu, s0, s0.past.32
    ldi  t0, @0, m0, 64                                  ; examples/jpeg.axn:12:5
    ldi  t0, @64, m80, 4                                 ; examples/jpeg.axn:12:5
    neu  t0, p0, 4, @0, 64, @0, relu, 1, @64, @0         ; examples/jpeg.axn:12:5
    ldi  t1, @0, m0, 64                                  ; examples/jpeg.axn:12:5
    ldi  t1, @64, m84, 4                                 ; examples/jpeg.axn:12:5
    neu  t1, p0, 4, @0, 64, @0, relu, 1, @64, @0         ; examples/jpeg.axn:12:5
s0.past.32:
    skip cpu, s1, s1.past.33
    ldi  t0, @68, m98, 64                                ; examples/jpeg.axn:12:5
    ldi  t0, @132, m178, 4                               ; examples/jpeg.axn:12:5
    neu  t0, p0, 4, @68, 64, @0, relu, 1, @132, @4       ; examples/jpeg.axn:12:5
    ldi  t1, @68, m98, 64                                ; examples/jpeg.axn:12:5
    ldi  t1, @132, m182, 4                               ; examples/jpeg.axn:12:5
    neu  t1, p0, 4, @68, 64, @0, relu, 1, @132, @4       ; examples/jpeg.axn:12:5
s1.past.33:
    ldw  t0, p0, 4, @0, d1866, 65                        ; examples/jpeg.axn:12:5
    ldw  t1, p0, 4, @0, d2126, 65                        ; examples/jpeg.axn:12:5
    skip cpu, s0, s0.past.34
    sto  t0, @0, m64, 4                                  ; examples/jpeg.axn:12:5
s0.past.34:
    skip cpu, s0, s0.past.35
    sto  t1, @0, m68, 4                                  ; examples/jpeg.axn:12:5
s0.past.35:
    skip cpu, s0, s0.past.36
    ldi  t0, @64, m88, 4                                 ; examples/jpeg.axn:12:5
    neu  t0, p0, 4, @0, 64, @0, relu, 1, @64, @0         ; examples/jpeg.axn:12:5
    ldi  t1, @64, m92, 4                                 ; examples/jpeg.axn:12:5
    neu  t1, p0, 4, @0, 64, @0, relu, 1, @64, @0         ; examples/jpeg.axn:12:5
s0.past.36:
    skip cpu, s1, s1.past.37
    sto  t0, @4, m162, 4                                 ; examples/jpeg.axn:12:5
s1.past.37:
    skip cpu, s1, s1.past.38
    sto  t1, @4, m166, 4                                 ; examples/jpeg.axn:12:5
s1.past.38:
    skip cpu, s1, s1.past.39
    ldi  t0, @132, m186, 4                               ; examples/jpeg.axn:12:5
    neu  t0, p0, 4, @68, 64, @0, relu, 1, @132, @4       ; examples/jpeg.axn:12:5
    ldi  t1, @132, m190, 4                               ; examples/jpeg.axn:12:5
    neu  t1, p0, 4, @68, 64, @0, relu, 1, @132, @4       ; examples/jpeg.axn:12:5
s1.past.39:
    skip cpu, s0, s0.past.40
    sto  t0, @0, m72, 4                                  ; examples/jpeg.axn:12:5
    sto  t1, @0, m76, 4                                  ; examples/jpeg.axn:12:5
s0.past.40:
    skip cpu, s1, s1.past.41
    sto  t0, @4, m170, 4                                 ; examples/jpeg.axn:12:5
    sto  t1, @4, m174, 4                                 ; examples/jpeg.axn:12:5
s1.past.41:
    ldw  t0, p0, 4, @0, d2386, 17                        ; examples/jpeg.axn:13:5
    ldw  t1, p0, 4, @0, d2454, 17                        ; examples/jpeg.axn:13:5
    skip cpu, s0, s0.past.42
    ldi  t0, @0, m64, 16                                 ; examples/jpeg.axn:13:5
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:13:5
    ldi  t1, @0, m64, 16                                 ; examples/jpeg.axn:13:5
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:13:5
s0.past.42:
    skip cpu, s1, s1.past.43
    ldi  t0, @16, m162, 16                               ; examples/jpeg.axn:13:5
    neu  t0, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:13:5
    ldi  t1, @16, m162, 16                               ; examples/jpeg.axn:13:5
    neu  t1, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:13:5
s1.past.43:
    ldw  t0, p0, 4, @0, d2522, 17                        ; examples/jpeg.axn:13:5
    ldw  t1, p0, 4, @0, d2590, 17                        ; examples/jpeg.axn:13:5
.stage output
    skip cpu, s0, s0.past.44
    sto  t0, @0, m0, 4                                   ; examples/jpeg.axn:13:5
s0.past.44:
    skip cpu, s0, s0.past.45
    sto  t1, @0, m4, 4                                   ; examples/jpeg.axn:13:5
.stage approximate
s0.past.45:
    skip cpu, s0, s0.past.46
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:13:5
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:13:5
.stage output
s0.past.46:
    skip cpu, s1, s1.past.47
    sto  t0, @4, m98, 4                                  ; examples/jpeg.axn:13:5
s1.past.47:
    skip cpu, s1, s1.past.48
    sto  t1, @4, m102, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
s1.past.48:
    skip cpu, s1, s1.past.49
    neu  t0, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:13:5
    neu  t1, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:13:5
s1.past.49:
    ldw  t0, p0, 4, @0, d2658, 17                        ; examples/jpeg.axn:13:5
    ldw  t1, p0, 4, @0, d2726, 17                        ; examples/jpeg.axn:13:5
.stage output
    skip cpu, s0, s0.past.50
    sto  t0, @0, m8, 4                                   ; examples/jpeg.axn:13:5
s0.past.50:
    skip cpu, s0, s0.past.51
    sto  t1, @0, m12, 4                                  ; examples/jpeg.axn:13:5
.stage approximate
s0.past.51:
    skip cpu, s0, s0.past.52
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:13:5
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:13:5
.stage output
s0.past.52:
    skip cpu, s1, s1.past.53
    sto  t0, @4, m106, 4                                 ; examples/jpeg.axn:13:5
s1.past.53:
    skip cpu, s1, s1.past.54
    sto  t1, @4, m110, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
s1.past.54:
    skip cpu, s1, s1.past.55
    neu  t0, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:13:5
    neu  t1, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:13:5
s1.past.55:
    ldw  t0, p0, 4, @0, d2794, 17                        ; examples/jpeg.axn:13:5
    ldw  t1, p0, 4, @0, d2862, 17                        ; examples/jpeg.axn:13:5
.stage output
    skip cpu, s0, s0.past.56
    sto  t0, @0, m16, 4                                  ; examples/jpeg.axn:13:5
s0.past.56:
    skip cpu, s0, s0.past.57
    sto  t1, @0, m20, 4                                  ; examples/jpeg.axn:13:5
.stage approximate
s0.past.57:
    skip cpu, s0, s0.past.58
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:13:5
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:13:5
.stage output
s0.past.58:
    skip cpu, s1, s1.past.59
    sto  t0, @4, m114, 4                                 ; examples/jpeg.axn:13:5
s1.past.59:
    skip cpu, s1, s1.past.60
    sto  t1, @4, m118, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
s1.past.60:
    skip cpu, s1, s1.past.61
    neu  t0, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:13:5
    neu  t1, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:13:5
s1.past.61:
    ldw  t0, p0, 4, @0, d2930, 17                        ; examples/jpeg.axn:13:5
    ldw  t1, p0, 4, @0, d2998, 17                        ; examples/jpeg.axn:13:5
.stage output
    skip cpu, s0, s0.past.62
    sto  t0, @0, m24, 4                                  ; examples/jpeg.axn:13:5
s0.past.62:
    skip cpu, s0, s0.past.63
    sto  t1, @0, m28, 4                                  ; examples/jpeg.axn:13:5
.stage approximate
s0.past.63:
    skip cpu, s0, s0.past.64
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:13:5
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:13:5
.stage output
s0.past.64:
    skip cpu, s1, s1.past.65
    sto  t0, @4, m122, 4                                 ; examples/jpeg.axn:13:5
s1.past.65:
    skip cpu, s1, s1.past.66
    sto  t1, @4, m126, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
s1.past.66:
    skip cpu, s1, s1.past.67
    neu  t0, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:13:5
    neu  t1, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:13:5
s1.past.67:
    ldw  t0, p0, 4, @0, d3066, 17                        ; examples/jpeg.axn:13:5
    ldw  t1, p0, 4, @0, d3134, 17                        ; examples/jpeg.axn:13:5
.stage output
    skip cpu, s0, s0.past.68
    sto  t0, @0, m32, 4                                  ; examples/jpeg.axn:13:5
s0.past.68:
    skip cpu, s0, s0.past.69
    sto  t1, @0, m36, 4                                  ; examples/jpeg.axn:13:5
.stage approximate
s0.past.69:
    skip cpu, s0, s0.past.70
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:13:5
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:13:5
.stage output
s0.past.70:
    skip cpu, s1, s1.past.71
    sto  t0, @4, m130, 4                                 ; examples/jpeg.axn:13:5
s1.past.71:
    skip cpu, s1, s1.past.72
    sto  t1, @4, m134, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
s1.past.72:
    skip cpu, s1, s1.past.73
    neu  t0, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:13:5
    neu  t1, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:13:5
s1.past.73:
    ldw  t0, p0, 4, @0, d3202, 17                        ; examples/jpeg.axn:13:5
    ldw  t1, p0, 4, @0, d3270, 17                        ; examples/jpeg.axn:13:5
.stage output
    skip cpu, s0, s0.past.74
    sto  t0, @0, m40, 4                                  ; examples/jpeg.axn:13:5
s0.past.74:
    skip cpu, s0, s0.past.75
    sto  t1, @0, m44, 4                                  ; examples/jpeg.axn:13:5
.stage approximate
s0.past.75:
    skip cpu, s0, s0.past.76
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:13:5
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:13:5
.stage output
s0.past.76:
    skip cpu, s1, s1.past.77
    sto  t0, @4, m138, 4                                 ; examples/jpeg.axn:13:5
s1.past.77:
    skip cpu, s1, s1.past.78
    sto  t1, @4, m142, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
s1.past.78:
    skip cpu, s1, s1.past.79
    neu  t0, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:13:5
    neu  t1, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:13:5
s1.past.79:
    ldw  t0, p0, 4, @0, d3338, 17                        ; examples/jpeg.axn:13:5
    ldw  t1, p0, 4, @0, d3406, 17                        ; examples/jpeg.axn:13:5
.stage output
    skip cpu, s0, s0.past.80
    sto  t0, @0, m48, 4                                  ; examples/jpeg.axn:13:5
s0.past.80:
    skip cpu, s0, s0.past.81
    sto  t1, @0, m52, 4                                  ; examples/jpeg.axn:13:5
.stage approximate
s0.past.81:
    skip cpu, s0, s0.past.82
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:13:5
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:13:5
.stage output
s0.past.82:
    skip cpu, s1, s1.past.83
    sto  t0, @4, m146, 4                                 ; examples/jpeg.axn:13:5
s1.past.83:
    skip cpu, s1, s1.past.84
    sto  t1, @4, m150, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
s1.past.84:
    skip cpu, s1, s1.past.85
    neu  t0, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:13:5
    neu  t1, p0, 4, @16, 16, @0, linear, 0, @0, @4       ; examples/jpeg.axn:13:5
.stage output
s1.past.85:
    skip cpu, s0, s0.past.86
    sto  t0, @0, m56, 4                                  ; examples/jpeg.axn:13:5
    sto  t1, @0, m60, 4                                  ; examples/jpeg.axn:13:5
s0.past.86:
    skip cpu, s1, s1.past.87
    sto  t0, @4, m154, 4                                 ; examples/jpeg.axn:13:5
    sto  t1, @4, m158, 4                                 ; examples/jpeg.axn:13:5
s1.past.87:
    skip cpu, s0, s0.past.88
    send m0, 64                                          ; examples/jpeg.axn:13:5
s0.past.88:
    skip cpu, s1, s1.past.89
    send m98, 64, s1                                     ; examples/jpeg.axn:13:5
s1.past.89:
    jmp  batch
