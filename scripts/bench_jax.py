"""The paper's SGD step in JAX on CPU, timed: skull's layerized architecture
(12 hidden layers of 22: cache 15, gaussian 4, identity 2, sin 1; no biases; h, s, v
outputs), full batch 256x256, MSE on RGB after Picbreeder's colour rule, gradient scaled
to unit L2 norm, Adam (optax's defaults, written out). Prints the median steps/s.

Usage: python bench_jax.py STEPS_PER_SAMPLE SAMPLES
The target is a fixed pseudo-random image: the speed of a step does not depend on it.
"""

import sys
import time

import jax
import jax.numpy as jnp

SIZE = 256
DEPTH = 12
GROUPS = [("cache", 15), ("gaussian", 4), ("identity", 2), ("sin", 1)]
WIDTH = sum(c for _, c in GROUPS)
ACT = {
    "cache": lambda z: z,
    "identity": lambda z: z,
    "gaussian": lambda z: 2.0 * jnp.exp(-z * z) - 1.0,
    "sin": jnp.sin,
}


def init(key):
    widths = [4] + [WIDTH] * DEPTH + [3]
    params = []
    for n_in, n_out in zip(widths[:-1], widths[1:]):
        key, sub = jax.random.split(key)
        std = (1.0 / n_in) ** 0.5 / 0.87962566103423978
        params.append(jax.random.truncated_normal(sub, -2.0, 2.0, (n_in, n_out)) * std)
    return params


def inputs():
    lin = jnp.linspace(-1.0, 1.0, SIZE)
    y, x = jnp.meshgrid(lin, lin, indexing="ij")
    d = 1.4 * jnp.sqrt(x * x + y * y)
    return jnp.stack([x, y, d, jnp.ones_like(x)], axis=-1).reshape(-1, 4)


def hsv2rgb(h, s, v):
    i = jnp.floor(h * 6.0)
    f = h * 6.0 - i
    p, q, t = v * (1 - s), v * (1 - s * f), v * (1 - s * (1 - f))
    i = i.astype(jnp.int32) % 6
    r = jnp.select([i == 0, i == 1, i == 2, i == 3, i == 4], [v, q, p, p, t], v)
    g = jnp.select([i == 0, i == 1, i == 2, i == 3, i == 4], [t, v, v, q, p], p)
    b = jnp.select([i == 0, i == 1, i == 2, i == 3, i == 4], [p, p, t, v, v], q)
    return jnp.stack([r, g, b], axis=-1)


def forward(params, xs):
    a = xs
    for w in params[:-1]:
        z = a @ w
        parts, at = [], 0
        for name, count in GROUPS:
            parts.append(ACT[name](z[:, at:at + count]))
            at += count
        a = jnp.concatenate(parts, axis=1)
    h, s, v = (a @ params[-1]).T
    return hsv2rgb(jnp.mod(h + 1.0, 1.0), jnp.clip(s, 0, 1), jnp.clip(jnp.abs(v), 0, 1))


def loss_fn(params, xs, target):
    return jnp.mean((forward(params, xs) - target) ** 2)


@jax.jit
def step(params, m, v, t, xs, target, lr=3e-3, b1=0.9, b2=0.999, eps=1e-8):
    loss, grad = jax.value_and_grad(loss_fn)(params, xs, target)
    norm = jnp.sqrt(sum(jnp.sum(g * g) for g in grad))
    grad = [g / norm for g in grad]
    t = t + 1
    m = [b1 * mi + (1 - b1) * g for mi, g in zip(m, grad)]
    v = [b2 * vi + (1 - b2) * g * g for vi, g in zip(v, grad)]
    params = [
        p - lr * (mi / (1 - b1**t)) / (jnp.sqrt(vi / (1 - b2**t)) + eps)
        for p, mi, vi in zip(params, m, v)
    ]
    return params, m, v, t, loss


def main():
    steps, samples = int(sys.argv[1]), int(sys.argv[2])
    params = init(jax.random.PRNGKey(0))
    m = [jnp.zeros_like(p) for p in params]
    v = [jnp.zeros_like(p) for p in params]
    t = jnp.zeros((), jnp.float32)
    xs = inputs()
    target = jax.random.uniform(jax.random.PRNGKey(1), (SIZE * SIZE, 3))
    for _ in range(3):  # compile and warm up
        params, m, v, t, loss = step(params, m, v, t, xs, target)
    loss.block_until_ready()
    rates = []
    for _ in range(samples):
        start = time.perf_counter()
        for _ in range(steps):
            params, m, v, t, loss = step(params, m, v, t, xs, target)
        loss.block_until_ready()
        rates.append(steps / (time.perf_counter() - start))
    rates.sort()
    print(f"{rates[len(rates) // 2]:.2f}")


if __name__ == "__main__":
    main()
