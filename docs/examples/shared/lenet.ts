import { HostArray } from '@puzzle/backend';
import { Sequential } from '@puzzle/containers';
import { Activation, Conv2D, Flatten, Linear, MaxPool2D } from '@puzzle/modules';

/**
 * LeNet-5's shape: conv 5×5 (6 maps) → max-pool → ReLU → conv 5×5 (16 maps) → max-pool → ReLU → Linear(256, 120)
 * → ReLU → Linear(120, 10): (N, 1, 28, 28) → 10 class scores. Small enough for the tfjs CPU engine.
 */
export function lenet(): Sequential {
  return new Sequential()
    .append(new Conv2D(1, 6, 5))
    .append(new MaxPool2D())
    .append(new Activation('relu'))
    .append(new Conv2D(6, 16, 5))
    .append(new MaxPool2D())
    .append(new Activation('relu'))
    .append(new Flatten())
    .append(new Linear(16 * 4 * 4, 120))
    .append(new Activation('relu'))
    .append(new Linear(120, 10));
}

/** Mean and standard deviation of MNIST's pixels, to feed the network centred inputs. */
const [PIXEL_MEAN, PIXEL_STD] = [0.1307, 0.3081];

/** MNIST images in [0, 1] as the network takes them: centred and scaled. */
export function centred(images: HostArray): HostArray {
  return new HostArray(images.data.map((p) => (p - PIXEL_MEAN) / PIXEL_STD), images.shape, 'float32');
}
