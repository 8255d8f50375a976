// Dnn facade: convolution, deconvolution and pooling.
export {};
