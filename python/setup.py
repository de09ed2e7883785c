"""Builds the engine module with the project's CMake (the same stages as the
program, no second implementation) and puts it into the package.

    pip install --no-build-isolation ./python     # Debian's pip, setuptools, pybind11-dev

SOUNDLENS_BUILD_DIR reuses a CMake build directory (default: python/build,
configured with the tests, benchmarks and fuzzers left out)."""
import os
import re
import shutil
import subprocess

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = os.environ.get("SOUNDLENS_BUILD_DIR", os.path.join(HERE, "build"))
        subprocess.check_call(["cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
                               "-DBUILD_TESTING=OFF", "-DSOUNDLENS_BENCHMARKS=OFF", "-DSOUNDLENS_PYTHON=ON"])
        subprocess.check_call(["cmake", "--build", build_dir, "--target", "soundlens_python",
                               "-j", str(os.cpu_count() or 1)])
        built = os.path.join(build_dir, "python", "soundlens")
        module = next(f for f in os.listdir(built) if f.startswith("_engine") and f.endswith(".so"))
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(built, module), target)


def project_version():
    with open(os.path.join(ROOT, "CMakeLists.txt")) as f:
        return re.search(r"project\(soundlens VERSION ([0-9.]+)", f.read()).group(1)


setup(version=project_version(), ext_modules=[Extension("soundlens._engine", sources=[])], cmdclass={"build_ext": CMakeBuild})
