// Dnn facade: batch/instance norm, softmax, pads, upsampling, PRelu, embedding.
export {};
