from sketchpad.engine_host.host import main

if __name__ == "__main__":
    raise SystemExit(main())
