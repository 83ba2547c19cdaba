#include "textflag.h"

// func addRows16(x *[16]float32, flat *float32, rows *int32, n int)
//
// x stays in X0-X3 for the whole list; each row is four unaligned loads
// and four ADDPS, in list order (SSE, which every amd64 has).
TEXT ·addRows16(SB), NOSPLIT, $0-32
	MOVQ   x+0(FP), DI
	MOVQ   flat+8(FP), SI
	MOVQ   rows+16(FP), BX
	MOVQ   n+24(FP), CX
	MOVUPS 0(DI), X0
	MOVUPS 16(DI), X1
	MOVUPS 32(DI), X2
	MOVUPS 48(DI), X3
	TESTQ  CX, CX
	JLE    done

loop:
	MOVL   (BX), AX
	SHLQ   $6, AX
	MOVUPS 0(SI)(AX*1), X4
	MOVUPS 16(SI)(AX*1), X5
	MOVUPS 32(SI)(AX*1), X6
	MOVUPS 48(SI)(AX*1), X7
	ADDPS  X4, X0
	ADDPS  X5, X1
	ADDPS  X6, X2
	ADDPS  X7, X3
	ADDQ   $4, BX
	DECQ   CX
	JNZ    loop

done:
	MOVUPS X0, 0(DI)
	MOVUPS X1, 16(DI)
	MOVUPS X2, 32(DI)
	MOVUPS X3, 48(DI)
	RET
