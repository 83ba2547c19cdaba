package fasttext

import "math"

// fastText computes in float32 and calls the C library's expf, whose
// results differ from the correctly rounded exp in about one case in 15,000.
// The probabilities it prints go through expf, so expf reproduces glibc's
// algorithm (a 32-entry table of 2^(i/32) and a cubic, evaluated in double
// with fused multiply-adds as on x86-64 with FMA) to print the same digits.

// exp2Tab[i] holds the bits of 2^(i/32) less i<<47, so that adding k<<47
// scales it by 2^(k/32) for any integer k.
var exp2Tab = [32]uint64{
	0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
	0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
	0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
	0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
	0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
	0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
	0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
	0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
}

const (
	expInvLn2N = 0x1.71547652b82fep+0 * 32
	expShift   = 0x1.8p+52
	expC0      = 0x1.c6af84b912394p-5 / 32 / 32 / 32
	expC1      = 0x1.ebfce50fac4f3p-3 / 32 / 32
	expC2      = 0x1.62e42ff0c52d6p-1 / 32
)

// expf returns e^x rounded to float32 exactly as glibc's expf does.
func expf(x float32) float32 {
	switch {
	case x != x:
		return x
	case x > 0x1.62e42ep6:
		return float32(math.Inf(1))
	case x < -0x1.9fe368p6:
		return 0
	}
	xd := float64(x)
	// float64() rounds the product before the sum: no fusion here.
	kd := float64(expInvLn2N*xd) + expShift
	ki := math.Float64bits(kd)
	kd -= expShift
	r := math.FMA(expInvLn2N, xd, -kd)
	s := math.Float64frombits(exp2Tab[ki%32] + ki<<47)
	z := math.FMA(expC0, r, expC1)
	y := math.FMA(expC2, r, 1)
	y = math.FMA(z, r*r, y)
	return float32(y * s)
}

// stdLog is fastText's std_log: log(x + 1e-5), computed in double and
// rounded to float32. The 1e-5 keeps log(0) finite and is why printed
// probabilities can exceed 1.
func stdLog(x float32) float32 {
	return float32(math.Log(float64(x) + 1e-5))
}
